namespace Sdp.Provisioning;
